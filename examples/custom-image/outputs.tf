output "repository_url" {
  description = "Where to push the image (tag it :latest)."
  value       = aws_ecr_repository.spark.repository_url
}

output "image_uri" {
  description = "The image the application's workers run."
  value       = one(aws_emrserverless_application.spark.image_configuration).image_uri
}

output "application_id" {
  description = "ID of the Spark application."
  value       = aws_emrserverless_application.spark.id
}

output "application_arn" {
  description = "ARN of the Spark application (the repository policy's aws:SourceArn)."
  value       = aws_emrserverless_application.spark.arn
}

output "role_arn" {
  description = "Job runtime role to pass as --execution-role-arn."
  value       = module.runtime_role.role_arn
}
