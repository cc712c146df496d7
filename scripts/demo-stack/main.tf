# The stack scripts/demo applies to the local AWS API server (moto). ENDPOINT is filled in by
# the script; with real AWS you would drop the endpoints block and the test credentials.
provider "aws" {
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {
    ec2           = "ENDPOINT"
    emrserverless = "ENDPOINT"
    iam           = "ENDPOINT"
    sts           = "ENDPOINT"
  }
  default_tags {
    tags = { Project = "emrform-demo" }
  }
}

variable "max_vcpu" {
  type    = number
  default = 400
}

variable "subnet_newbits" {
  description = "Bits added to the VPC's /16 for each private subnet (6 → /22, 1,019 usable IPs)."
  type        = number
  default     = 6
}

data "aws_caller_identity" "current" {}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, var.subnet_newbits, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_security_group" "spark" {
  name        = "emrform-demo-spark"
  description = "EMR Serverless workers"
  vpc_id      = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

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
  name               = "emrform-demo-runtime"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "data" {
  name = "read-raw-write-curated"
  role = aws_iam_role.runtime.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::demo-lake/raw/*" },
      { Effect = "Allow", Action = ["s3:PutObject"], Resource = "arn:aws:s3:::demo-lake/curated/*" },
    ]
  })
}

resource "aws_emrserverless_application" "etl" {
  name          = "emrform-demo-etl"
  type          = "spark"
  release_label = "emr-7.1.0"

  initial_capacity {
    initial_capacity_type = "Driver"
    initial_capacity_config {
      worker_count = 1
      worker_configuration {
        cpu    = "4 vCPU"
        memory = "16 GB"
      }
    }
  }

  maximum_capacity {
    cpu    = "${var.max_vcpu} vCPU"
    memory = "${var.max_vcpu * 4} GB"
  }

  network_configuration {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.spark.id]
  }
}

output "application_id" {
  value = aws_emrserverless_application.etl.id
}
