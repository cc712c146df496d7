output "application_id" {
  description = "ID of the Spark application."
  value       = module.spark.application_id
}

output "application_arn" {
  description = "ARN of the Spark application."
  value       = module.spark.application_arn
}

output "role_arn" {
  description = "Job runtime role to pass as --execution-role-arn."
  value       = module.spark.role_arn
}

output "start_job_run" {
  description = "A command that runs s3://<bucket>/scripts/hello.py on the application."
  value = join(" ", [
    "aws emr-serverless start-job-run",
    "--region ${var.region}",
    "--application-id ${module.spark.application_id}",
    "--execution-role-arn ${module.spark.role_arn}",
    "--job-driver '{\"sparkSubmit\":{\"entryPoint\":\"s3://${var.bucket}/scripts/hello.py\"}}'",
    "--configuration-overrides '{\"monitoringConfiguration\":{\"s3MonitoringConfiguration\":{\"logUri\":\"s3://${var.bucket}/logs/\"}}}'",
  ])
}
