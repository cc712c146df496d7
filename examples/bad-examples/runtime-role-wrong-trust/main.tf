# WRONG ON PURPOSE: the job runtime role trusts ec2.amazonaws.com, not
# emr-serverless.amazonaws.com. Every StartJobRun with this role fails: EMR Serverless cannot
# assume it.

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "emr_runtime" {
  name               = "${var.name}-emr-serverless-runtime"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "access" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.name}-code/scripts/*"]
  }
}

resource "aws_iam_role_policy" "runtime" {
  name   = "read-scripts"
  role   = aws_iam_role.emr_runtime.id
  policy = data.aws_iam_policy_document.access.json
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
