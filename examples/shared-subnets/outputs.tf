output "application_ids" {
  description = "ID of each application, by key (etl, ml, adhoc)."
  value       = { for key, app in module.app : key => app.application_id }
}

output "role_arns" {
  description = "Job runtime role of each application, by key."
  value       = { for key, app in module.app : key => app.role_arn }
}

output "subnet_ids" {
  description = "The two private subnets all three applications share."
  value       = module.subnets.subnet_ids
}

output "subnet_cidr_blocks" {
  description = "Their CIDR blocks."
  value       = module.subnets.subnet_cidr_blocks
}

output "sizing" {
  description = "The subnet sizing arithmetic."
  value = {
    workers_needed_per_subnet = local.max_workers
    prefix_length             = module.subnets.prefix_length
    usable_ips_per_subnet     = module.subnets.usable_ips_per_subnet
  }
}
