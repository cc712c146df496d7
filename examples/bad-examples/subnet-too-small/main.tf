# WRONG ON PURPOSE: three applications that can each scale to 1,000 workers share two /23
# subnets. Every worker takes one IP address, so each subnet needs 3,000; a /23 has 507.

data "aws_availability_zones" "available" {
  state            = "available"
  exclude_zone_ids = ["use1-az3"]
}

locals {
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)
  apps = toset(["etl", "ml", "adhoc"])
}

resource "aws_vpc" "this" {
  cidr_block = "10.40.0.0/16"
}

# /16 + 7 bits = /23: 512 addresses, 507 usable.
resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 7, count.index)
}

resource "aws_route_table" "private" {
  count = 2

  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "private" {
  count = 2

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
}

resource "aws_security_group" "emr" {
  name_prefix = "${var.name}-"
  vpc_id      = aws_vpc.this.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_emrserverless_application" "app" {
  for_each = local.apps

  name          = "${var.name}-${each.key}"
  type          = "spark"
  release_label = "emr-7.2.0"

  # 4,000 vCPU ÷ 4 vCPU workers = 1,000 workers per application.
  maximum_capacity {
    cpu    = "4000 vCPU"
    memory = "16000 GB"
  }

  initial_capacity {
    initial_capacity_type = "Executor"

    initial_capacity_config {
      worker_count = 2

      worker_configuration {
        cpu    = "4 vCPU"
        memory = "16 GB"
      }
    }
  }

  network_configuration {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.emr.id]
  }
}
