# WRONG ON PURPOSE: the job runtime role is trusted correctly, but its inline policy allows
# every action on every resource: every job run becomes an administrator of the account.

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "runtime" {
  name               = "${var.name}-emr-runtime"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "runtime" {
  name = "everything"
  role = aws_iam_role.runtime.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}

resource "aws_emrserverless_application" "spark" {
  name          = var.name
  type          = "spark"
  release_label = "emr-7.2.0"

  maximum_capacity {
    cpu    = "16 vCPU"
    memory = "64 GB"
  }
}
