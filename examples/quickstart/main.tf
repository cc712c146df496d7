# The smallest useful EMR Serverless setup: one Spark application and the runtime role its
# jobs run as, allowed to read s3://<bucket>/scripts/ and write s3://<bucket>/output/ and
# s3://<bucket>/logs/. No VPC: jobs reach S3 and other AWS services over public endpoints.

module "spark" {
  source = "../../modules/spark-application"

  name          = var.name
  release_label = "emr-7.2.0"

  read_prefixes  = ["s3://${var.bucket}/scripts/"]
  write_prefixes = ["s3://${var.bucket}/output/", "s3://${var.bucket}/logs/"]

  # 8 workers of 4 vCPU / 16 GB at most; stop after 15 idle minutes so nothing runs (or bills) idle.
  maximum_capacity = {
    cpu    = "32 vCPU"
    memory = "128 GB"
  }
  idle_timeout_minutes = 15

  tags = {
    Example = "quickstart"
  }
}
