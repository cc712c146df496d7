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
