# Private subnets for EMR Serverless, one per Availability Zone, each large enough for every
# worker the applications sharing them can start, plus an S3 gateway endpoint so jobs reach
# S3 without a NAT gateway or an internet route.
#
# Sizing. Each EMR Serverless worker takes one IP address from the subnet its job runs in,
# and AWS reserves 5 addresses in every subnet (the network address, the VPC router, DNS,
# one for future use, and the broadcast address). A subnet with prefix length p therefore
# holds 2^(32 - p) - 5 workers, and the module picks the longest prefix (the smallest
# subnet) for which
#
#     2^(32 - p) - 5 >= max_workers
#
# For example, 3,000 workers: /21 gives 2,043 (too few), /20 gives 4,091, so p = 20.
# Every subnet gets the full size, because a job runs in one subnet and failover moves the
# work to another Availability Zone.

data "aws_region" "current" {}

locals {
  vpc_prefix = tonumber(split("/", var.vpc_cidr)[1])

  # Prefix lengths AWS accepts for a subnet (/16 to /28) that fit max_workers, longest first.
  fitting_prefixes = [for p in range(28, 15, -1) : p if pow(2, 32 - p) - 5 >= var.max_workers]
  needed_prefix    = local.fitting_prefixes[0]

  newbits       = var.newbits != null ? var.newbits : local.needed_prefix - local.vpc_prefix
  subnet_prefix = local.vpc_prefix + local.newbits
  usable_ips    = pow(2, 32 - local.subnet_prefix) - 5

  # Subnet blocks vpc_cidr can hold at this size, and how many the module needs.
  blocks_in_vpc = local.newbits >= 0 ? pow(2, local.newbits) : 0
  blocks_needed = var.netnum_offset + length(var.availability_zones)

  zone_index = { for i, az in var.availability_zones : az => i }
}

resource "aws_subnet" "this" {
  for_each = local.zone_index

  vpc_id                  = var.vpc_id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.vpc_cidr, local.newbits, var.netnum_offset + each.value)
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}" })

  lifecycle {
    precondition {
      condition     = local.newbits >= 0 && local.subnet_prefix <= 28
      error_message = "newbits ${local.newbits} on ${var.vpc_cidr} gives /${local.subnet_prefix} subnets; AWS subnets must be /16 to /28 and inside the VPC block."
    }

    precondition {
      condition     = local.usable_ips >= var.max_workers
      error_message = "A /${local.subnet_prefix} subnet has ${local.usable_ips} usable addresses (2^(32-${local.subnet_prefix}) - 5), fewer than max_workers = ${var.max_workers}. Use newbits <= ${local.needed_prefix - local.vpc_prefix} or leave newbits unset."
    }

    precondition {
      condition     = local.blocks_in_vpc >= local.blocks_needed
      error_message = "${var.vpc_cidr} holds ${local.blocks_in_vpc} subnets of /${local.subnet_prefix}; ${local.blocks_needed} are needed (netnum_offset + one per zone). Use a larger VPC block, a secondary CIDR block, or fewer zones."
    }
  }
}

# One route table per subnet, with no route out of the VPC: the subnets stay private.
# The S3 endpoint below adds the only other route (to S3's prefix list).
resource "aws_route_table" "this" {
  for_each = local.zone_index

  vpc_id = var.vpc_id
  tags   = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route_table_association" "this" {
  for_each = local.zone_index

  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for az in var.availability_zones : aws_route_table.this[az].id]

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}
