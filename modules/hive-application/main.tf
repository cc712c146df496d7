# An EMR Serverless Hive application with its job runtime role (modules/runtime-role) and,
# when it runs in a VPC, its own security group. Hive keeps its metadata in the AWS Glue
# Data Catalog by default, so enable_glue defaults to true here.

locals {
  in_vpc = length(var.subnet_ids) > 0
}

module "runtime_role" {
  source = "../runtime-role"

  name                   = substr("${var.name}-emr-runtime", 0, 64)
  read_prefixes          = var.read_prefixes
  write_prefixes         = var.write_prefixes
  enable_glue            = var.enable_glue
  glue_databases         = var.glue_databases
  enable_cloudwatch_logs = var.enable_cloudwatch_logs
  log_group_name         = var.log_group_name
  tags                   = var.tags
}

# HTTPS out only. A Hive metastore in RDS needs 3306 as well: add an
# aws_vpc_security_group_egress_rule on security_group_id.
resource "aws_security_group" "this" {
  count = local.in_vpc ? 1 : 0

  name_prefix = "${var.name}-emr-"
  description = "EMR Serverless application ${var.name}"
  vpc_id      = var.vpc_id

  egress {
    description = "HTTPS to AWS APIs and S3"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, { Name = "${var.name}-emr-serverless" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.vpc_id != null
      error_message = "vpc_id is required when subnet_ids is set: the application's security group is created in that VPC."
    }
  }
}

resource "aws_emrserverless_application" "this" {
  name          = var.name
  type          = "hive"
  release_label = var.release_label
  architecture  = var.architecture

  maximum_capacity {
    cpu    = var.maximum_capacity.cpu
    memory = var.maximum_capacity.memory
    disk   = var.maximum_capacity.disk
  }

  dynamic "initial_capacity" {
    for_each = var.initial_capacity
    content {
      initial_capacity_type = initial_capacity.key

      initial_capacity_config {
        worker_count = initial_capacity.value.worker_count

        worker_configuration {
          cpu    = initial_capacity.value.cpu
          memory = initial_capacity.value.memory
          disk   = initial_capacity.value.disk
        }
      }
    }
  }

  auto_start_configuration {
    enabled = var.auto_start
  }

  auto_stop_configuration {
    enabled              = var.auto_stop
    idle_timeout_minutes = var.idle_timeout_minutes
  }

  dynamic "network_configuration" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = concat([aws_security_group.this[0].id], var.additional_security_group_ids)
    }
  }

  dynamic "image_configuration" {
    for_each = var.image_uri != null ? [var.image_uri] : []
    content {
      image_uri = image_configuration.value
    }
  }

  tags = var.tags
}
