output "role_arn" {
  description = "ARN of the runtime role: pass it as executionRoleArn when starting job runs."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the runtime role, for attaching more policies."
  value       = aws_iam_role.this.name
}

output "policy_json" {
  description = "The role's inline permission policy, as JSON (empty statement list when nothing was granted)."
  value       = data.aws_iam_policy_document.permissions.json
}
