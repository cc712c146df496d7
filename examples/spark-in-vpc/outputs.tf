output "application_id" {
  description = "ID of the Spark application."
  value       = module.spark.application_id
}

output "role_arn" {
  description = "Job runtime role to pass as --execution-role-arn."
  value       = module.spark.role_arn
}

output "vpc_id" {
  description = "ID of the new VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "Private subnets the workers run in."
  value       = module.subnets.subnet_ids
}

output "subnet_cidr_blocks" {
  description = "Their CIDR blocks (/25: 123 usable addresses each)."
  value       = module.subnets.subnet_cidr_blocks
}

output "security_group_id" {
  description = "The application's security group."
  value       = module.spark.security_group_id
}

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint the jobs reach S3 through."
  value       = module.subnets.s3_endpoint_id
}
