# A Spark application whose workers run in private subnets of a new VPC:
#
#   VPC ─► two private subnets (one per AZ), each with a route table and the S3 gateway endpoint
#       ─► the application's security group (egress 443 only)
#       ─► the application, with network_configuration naming both subnets and the group
#
# Nothing here reaches the internet: there is no internet gateway and no NAT gateway. Jobs read
# and write S3 through the gateway endpoint; add interface endpoints (or a NAT gateway) for
# other services your jobs call.

# EMR Serverless does not run in every Availability Zone: in us-east-1 it skips use1-az3.
data "aws_availability_zones" "available" {
  state            = "available"
  exclude_zone_ids = ["use1-az3"]
}

locals {
  # The application's ceiling and its worker size decide how many IP addresses it can take
  # from a subnet: 400 vCPU / 4 vCPU per worker = 100 workers, one IP each.
  max_vcpu    = 400
  worker_vcpu = 4
  max_workers = local.max_vcpu / local.worker_vcpu

  azs = slice(data.aws_availability_zones.available.names, 0, 2)
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.name
  }
}

# 100 workers need 2^(32-p) - 5 >= 100, so p = 25 (123 usable addresses per subnet).
module "subnets" {
  source = "../../modules/private-subnets"

  name               = var.name
  vpc_id             = aws_vpc.this.id
  vpc_cidr           = aws_vpc.this.cidr_block
  availability_zones = local.azs
  max_workers        = local.max_workers
}

module "spark" {
  source = "../../modules/spark-application"

  name          = var.name
  release_label = "emr-7.2.0"

  vpc_id     = aws_vpc.this.id
  subnet_ids = module.subnets.subnet_ids

  maximum_capacity = {
    cpu    = "${local.max_vcpu} vCPU"
    memory = "${local.max_workers * 16} GB"
    disk   = "${local.max_workers * 20} GB"
  }

  # Declaring the worker size makes the subnet sizing exact: 4 vCPU workers, as above.
  initial_capacity = {
    Driver   = { worker_count = 1, cpu = "${local.worker_vcpu} vCPU", memory = "16 GB" }
    Executor = { worker_count = 2, cpu = "${local.worker_vcpu} vCPU", memory = "16 GB" }
  }

  read_prefixes  = ["s3://${var.bucket}/scripts/", "s3://${var.bucket}/data/"]
  write_prefixes = ["s3://${var.bucket}/output/", "s3://${var.bucket}/logs/"]

  tags = {
    Example = "spark-in-vpc"
  }
}
