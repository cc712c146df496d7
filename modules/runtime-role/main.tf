# The job runtime role of an EMR Serverless application: the role a job run assumes
# (StartJobRun executionRoleArn) to read its scripts and data, write its output and logs,
# and use the Glue Data Catalog. The application itself never names it.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name

  # "s3://bucket/some/prefix/" -> { bucket = "bucket", prefix = "some/prefix" }.
  # An empty prefix stands for the whole bucket.
  read_locations = [
    for uri in var.read_prefixes : {
      bucket = regex("^s3://([^/]+)/?(.*)$", uri)[0]
      prefix = trim(regex("^s3://([^/]+)/?(.*)$", uri)[1], "/")
    }
  ]
  write_locations = [
    for uri in var.write_prefixes : {
      bucket = regex("^s3://([^/]+)/?(.*)$", uri)[0]
      prefix = trim(regex("^s3://([^/]+)/?(.*)$", uri)[1], "/")
    }
  ]

  read_object_arns = distinct([
    for l in local.read_locations :
    l.prefix == "" ? "arn:${local.partition}:s3:::${l.bucket}/*" : "arn:${local.partition}:s3:::${l.bucket}/${l.prefix}/*"
  ])
  write_object_arns = distinct([
    for l in local.write_locations :
    l.prefix == "" ? "arn:${local.partition}:s3:::${l.bucket}/*" : "arn:${local.partition}:s3:::${l.bucket}/${l.prefix}/*"
  ])

  # ListBucket is granted on the bucket ARN; the s3:prefix condition keeps listings inside the
  # given prefixes. A bucket given without a prefix is listable as a whole (no condition).
  all_locations = concat(local.read_locations, local.write_locations)
  list_prefixes = {
    for bucket in distinct([for l in local.all_locations : l.bucket]) :
    bucket => distinct(flatten([
      for l in local.all_locations : [l.prefix, "${l.prefix}/*"] if l.bucket == bucket
    ]))
  }

  glue_resources = concat(
    ["arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog"],
    [for db in var.glue_databases : "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${db}"],
    [for db in var.glue_databases : "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${db}/*"],
    [for db in var.glue_databases : "arn:${local.partition}:glue:${local.region}:${local.account_id}:userDefinedFunction/${db}/*"],
  )

  log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${var.log_group_name}"

  has_permissions = length(local.all_locations) > 0 || var.enable_glue || var.enable_cloudwatch_logs
}

# Only EMR Serverless may assume the role, and only on behalf of this account.
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "EMRServerlessAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  dynamic "statement" {
    for_each = length(local.read_object_arns) > 0 ? [1] : []
    content {
      sid       = "ReadObjects"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = local.read_object_arns
    }
  }

  # Spark and Hive committers read back and clean up what they write.
  dynamic "statement" {
    for_each = length(local.write_object_arns) > 0 ? [1] : []
    content {
      sid    = "WriteObjects"
      effect = "Allow"
      actions = [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
      ]
      resources = local.write_object_arns
    }
  }

  dynamic "statement" {
    for_each = local.list_prefixes
    content {
      effect    = "Allow"
      actions   = ["s3:ListBucket"]
      resources = ["arn:${local.partition}:s3:::${statement.key}"]

      dynamic "condition" {
        for_each = contains(statement.value, "") ? [] : [1]
        content {
          test     = "StringLike"
          variable = "s3:prefix"
          values   = statement.value
        }
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.list_prefixes) > 0 ? [1] : []
    content {
      sid       = "LocateBuckets"
      effect    = "Allow"
      actions   = ["s3:GetBucketLocation"]
      resources = [for bucket in keys(local.list_prefixes) : "arn:${local.partition}:s3:::${bucket}"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_glue ? [1] : []
    content {
      sid    = "GlueDataCatalog"
      effect = "Allow"
      actions = [
        "glue:BatchCreatePartition",
        "glue:BatchDeletePartition",
        "glue:BatchGetPartition",
        "glue:CreatePartition",
        "glue:CreateTable",
        "glue:DeletePartition",
        "glue:DeleteTable",
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:GetTables",
        "glue:GetUserDefinedFunctions",
        "glue:UpdatePartition",
        "glue:UpdateTable",
      ]
      resources = local.glue_resources
    }
  }

  dynamic "statement" {
    for_each = var.enable_cloudwatch_logs ? [1] : []
    content {
      sid       = "FindLogGroups"
      effect    = "Allow"
      actions   = ["logs:DescribeLogGroups"]
      resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_cloudwatch_logs ? [1] : []
    content {
      sid    = "WriteLogs"
      effect = "Allow"
      actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
      ]
      resources = [local.log_group_arn, "${local.log_group_arn}:*"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "EMR Serverless job runtime role"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

# An IAM policy needs at least one statement, so a role with nothing to do gets no policy.
resource "aws_iam_role_policy" "this" {
  count = local.has_permissions ? 1 : 0

  name   = "emr-serverless-job-access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json
}
