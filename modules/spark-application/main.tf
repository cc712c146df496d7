# An EMR Serverless Spark application with everything it needs to run jobs:
# its job runtime role (modules/runtime-role), a security group when it runs in a VPC,
# and optionally an ECR repository for a custom image that only this application may pull.

locals {
  in_vpc = length(var.subnet_ids) > 0

  repository_name = replace(lower(var.name), "/[^a-z0-9._/-]/", "-")

  # An explicit image_uri wins; otherwise the module's own repository when there is one.
  image_uri = var.image_uri != null ? var.image_uri : (
    var.create_ecr_repository ? "${aws_ecr_repository.this[0].repository_url}:${var.image_tag}" : null
  )
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

# Workers only open connections; EMR Serverless blocks inbound traffic to them anyway.
# HTTPS out is enough for S3 (through the gateway endpoint or a NAT gateway) and the other
# AWS APIs jobs call. Open more egress (a metastore on 3306, Redshift on 5439) with
# aws_vpc_security_group_egress_rule resources on security_group_id.
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

resource "aws_ecr_repository" "this" {
  count = var.create_ecr_repository ? 1 : 0

  name                 = local.repository_name
  image_tag_mutability = "MUTABLE"
  force_delete         = var.ecr_force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = var.tags
}

resource "aws_emrserverless_application" "this" {
  name          = var.name
  type          = "spark"
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
    for_each = local.image_uri != null ? [local.image_uri] : []
    content {
      image_uri = image_configuration.value
    }
  }

  tags = var.tags
}

# EMR Serverless pulls the custom image with its service principal, so the repository policy
# must name it, and the aws:SourceArn condition keeps other applications out. The policy
# follows the application (it needs the ARN); the application follows the repository.
data "aws_iam_policy_document" "pull" {
  count = var.create_ecr_repository ? 1 : 0

  statement {
    sid    = "EMRServerlessPull"
    effect = "Allow"
    actions = [
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_emrserverless_application.this.arn]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  count = var.create_ecr_repository ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy     = data.aws_iam_policy_document.pull[0].json
}
