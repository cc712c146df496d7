# WRONG ON PURPOSE: the application runs a custom image, but the repository policy only lets
# the account's own principals pull. It never names emr-serverless.amazonaws.com, so
# EMR Serverless cannot pull the image and every job fails to start.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_ecr_repository" "spark" {
  name = var.name
}

resource "aws_emrserverless_application" "spark" {
  name          = var.name
  type          = "spark"
  release_label = "emr-7.2.0"
  architecture  = "X86_64"

  image_configuration {
    image_uri = "${aws_ecr_repository.spark.repository_url}:latest"
  }

  maximum_capacity {
    cpu    = "16 vCPU"
    memory = "64 GB"
  }
}

data "aws_iam_policy_document" "pull" {
  statement {
    sid    = "AccountPull"
    effect = "Allow"
    actions = [
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_ecr_repository_policy" "spark" {
  repository = aws_ecr_repository.spark.name
  policy     = data.aws_iam_policy_document.pull.json
}
