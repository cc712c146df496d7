# A Spark application whose workers run a custom image from a private ECR repository.
#
# Architecture: ARM64 (Graviton) throughout. The application says architecture = "ARM64", so the
# image must be built for linux/arm64 (see the README); an amd64 image would fail at job start.
#
# Order of creation, which the references below produce:
#   1. the repository;                           (push the image now: see the README)
#   2. the application, whose image_uri names the repository;
#   3. the repository policy, whose aws:SourceArn condition names the application.

resource "aws_ecr_repository" "spark" {
  name                 = var.name
  image_tag_mutability = "MUTABLE" # the example pulls :latest; pin a digest in production

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_emrserverless_application" "spark" {
  name          = var.name
  type          = "spark"
  release_label = var.release_label
  architecture  = "ARM64"

  image_configuration {
    image_uri = "${aws_ecr_repository.spark.repository_url}:latest"
  }

  maximum_capacity {
    cpu    = "64 vCPU"
    memory = "256 GB"
  }

  auto_stop_configuration {
    enabled              = true
    idle_timeout_minutes = 15
  }
}

# EMR Serverless pulls the image as the service principal emr-serverless.amazonaws.com, so the
# repository must allow it these three actions; the condition limits that to this application.
data "aws_iam_policy_document" "pull" {
  statement {
    sid    = "EMRServerlessCustomImage"
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
      values   = [aws_emrserverless_application.spark.arn]
    }
  }
}

resource "aws_ecr_repository_policy" "spark" {
  repository = aws_ecr_repository.spark.name
  policy     = data.aws_iam_policy_document.pull.json
}

module "runtime_role" {
  source = "../../modules/runtime-role"

  name           = "${var.name}-emr-runtime"
  read_prefixes  = ["s3://${var.bucket}/scripts/"]
  write_prefixes = ["s3://${var.bucket}/output/", "s3://${var.bucket}/logs/"]
}
