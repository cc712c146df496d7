variable "name" {
  description = "Prefix of the Name tag of every resource the module creates."
  type        = string
}

variable "vpc_id" {
  description = "VPC to create the subnets in."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC (or of the secondary block to carve the subnets from), for example 10.0.0.0/16."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && !strcontains(var.vpc_cidr, ":")
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability Zones to create one subnet in each, for example [\"us-east-1a\", \"us-east-1b\"]. Use at least two so EMR Serverless can fail over."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) > 0 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must name at least one zone, each once."
  }
}

variable "max_workers" {
  description = "Workers that can run in one subnet at the same time: the sum, over every application that will use these subnets, of its maximum vCPU divided by its worker vCPU (one IP address per worker)."
  type        = number

  validation {
    condition     = var.max_workers >= 1 && var.max_workers <= 65531 && floor(var.max_workers) == var.max_workers
    error_message = "max_workers must be a whole number from 1 to 65531 (a /16 subnet, the largest AWS allows, has 65,531 usable addresses)."
  }
}

variable "newbits" {
  description = "Bits to add to the VPC prefix for each subnet, overriding the size computed from max_workers (for example to leave room to grow). It may make subnets larger, never too small for max_workers."
  type        = number
  default     = null
}

variable "netnum_offset" {
  description = "Index of the first subnet-sized block of vpc_cidr to use, so the subnets can follow ones that already exist. Subnet i gets cidrsubnet(vpc_cidr, newbits, netnum_offset + i)."
  type        = number
  default     = 0
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}
