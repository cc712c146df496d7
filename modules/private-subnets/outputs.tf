output "subnet_ids" {
  description = "IDs of the private subnets, in the order of availability_zones."
  value       = [for az in var.availability_zones : aws_subnet.this[az].id]
}

output "subnet_cidr_blocks" {
  description = "CIDR blocks of the private subnets, in the order of availability_zones."
  value       = [for az in var.availability_zones : aws_subnet.this[az].cidr_block]
}

output "route_table_ids" {
  description = "IDs of the subnets' route tables, in the order of availability_zones. Add NAT or peering routes here."
  value       = [for az in var.availability_zones : aws_route_table.this[az].id]
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway VPC endpoint."
  value       = aws_vpc_endpoint.s3.id
}

output "prefix_length" {
  description = "Prefix length of every subnet, e.g. 20 for /20."
  value       = local.subnet_prefix
}

output "usable_ips_per_subnet" {
  description = "Addresses each subnet has for workers: 2^(32 - prefix_length) - 5."
  value       = local.usable_ips
}
