# Three Spark applications on the same two private subnets. Subnets shared by applications must
# be sized for all of them at once: every worker of every application takes one IP address from
# the subnet its job runs in.
#
#   each application:  4,000 vCPU maximum ÷ 4 vCPU workers = 1,000 workers
#   together:          3 × 1,000 = 3,000 IP addresses, in each subnet
#   subnet size:       /21 = 2,048 − 5 reserved = 2,043 (too few)
#                      /20 = 4,096 − 5 reserved = 4,091 ≥ 3,000
#
# Running all three flat out takes 12,000 vCPU: raise the account's "Max concurrent vCPUs"
# EMR Serverless quota to match, or lower the maximum capacities.

data "aws_availability_zones" "available" {
  state            = "available"
  exclude_zone_ids = ["use1-az3"] # EMR Serverless does not run in use1-az3
}

locals {
  worker = { cpu = 4, memory = 16 } # vCPU, GB: one worker size for every application

  applications = {
    etl   = { max_vcpu = 4000 }
    ml    = { max_vcpu = 4000 }
    adhoc = { max_vcpu = 4000 }
  }

  # Σ over the applications of max vCPU ÷ worker vCPU: 3,000.
  max_workers = sum([for app in local.applications : app.max_vcpu / local.worker.cpu])
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.name_prefix
  }
}

# max_workers = 3,000 makes the module cut /20 subnets (4,091 usable addresses each).
module "subnets" {
  source = "../../modules/private-subnets"

  name               = var.name_prefix
  vpc_id             = aws_vpc.this.id
  vpc_cidr           = aws_vpc.this.cidr_block
  availability_zones = slice(data.aws_availability_zones.available.names, 0, 2)
  max_workers        = local.max_workers
}

module "app" {
  source   = "../../modules/spark-application"
  for_each = local.applications

  name          = "${var.name_prefix}-${each.key}"
  release_label = "emr-7.2.0"

  vpc_id     = aws_vpc.this.id
  subnet_ids = module.subnets.subnet_ids

  maximum_capacity = {
    cpu    = "${each.value.max_vcpu} vCPU"
    memory = "${each.value.max_vcpu / local.worker.cpu * local.worker.memory} GB"
  }

  # The declared worker size is what the sizing above (and emrform's subnet check) divides by.
  initial_capacity = {
    Driver   = { worker_count = 1, cpu = "${local.worker.cpu} vCPU", memory = "${local.worker.memory} GB" }
    Executor = { worker_count = 4, cpu = "${local.worker.cpu} vCPU", memory = "${local.worker.memory} GB" }
  }

  read_prefixes  = ["s3://${var.bucket}/${each.key}/scripts/", "s3://${var.bucket}/data/"]
  write_prefixes = ["s3://${var.bucket}/${each.key}/output/"]

  tags = {
    Example     = "shared-subnets"
    Application = each.key
  }
}
