output "application_id" {
  description = "ID of the EMR Serverless application (for aws emr-serverless start-job-run --application-id)."
  value       = aws_emrserverless_application.this.id
}

output "application_arn" {
  description = "ARN of the EMR Serverless application."
  value       = aws_emrserverless_application.this.arn
}

output "application_name" {
  description = "Name of the EMR Serverless application."
  value       = aws_emrserverless_application.this.name
}

output "role_arn" {
  description = "ARN of the job runtime role (--execution-role-arn of start-job-run)."
  value       = module.runtime_role.role_arn
}

output "role_name" {
  description = "Name of the job runtime role, for attaching more policies."
  value       = module.runtime_role.role_name
}

output "security_group_id" {
  description = "ID of the application's security group; null when subnet_ids is empty."
  value       = local.in_vpc ? aws_security_group.this[0].id : null
}

output "repository_url" {
  description = "URL of the ECR repository to push the custom image to; null unless create_ecr_repository is true."
  value       = var.create_ecr_repository ? aws_ecr_repository.this[0].repository_url : null
}

output "image_uri" {
  description = "The image the workers run; null for the EMR base image."
  value       = local.image_uri
}
