variable "name" {
  description = "Name of the EMR Serverless application. Also the prefix of the runtime role, security group and ECR repository names, so keep it unique per account and Region."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and . _ / # -."
  }
}

variable "release_label" {
  description = "Amazon EMR release the application runs, for example emr-7.2.0."
  type        = string
  default     = "emr-7.2.0"

  validation {
    condition     = can(regex("^emr-[0-9]+\\.[0-9]+\\.[0-9]+$", var.release_label))
    error_message = "release_label must look like emr-7.2.0."
  }
}

variable "architecture" {
  description = "CPU architecture of the workers: X86_64 or ARM64 (Graviton). A custom image must be built for the same architecture."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.architecture)
    error_message = "architecture must be X86_64 or ARM64."
  }
}

variable "maximum_capacity" {
  description = "Ceiling on everything the application may run at once, pre-initialized workers included. Values are strings such as \"400 vCPU\", \"1600 GB\". With subnet_ids, cpu divided by the worker vCPU is the number of IP addresses the application can take from a subnet."
  type = object({
    cpu    = string
    memory = string
    disk   = optional(string)
  })
  default = {
    cpu    = "400 vCPU"
    memory = "1600 GB"
    disk   = "2000 GB"
  }
}

variable "initial_capacity" {
  description = "Pre-initialized workers, keyed by worker type (HiveDriver or TezTask). Each entry counts against maximum_capacity. Empty means none: workers are started on demand."
  type = map(object({
    worker_count = number
    cpu          = string
    memory       = string
    disk         = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.initial_capacity) : contains(["HiveDriver", "TezTask"], k)])
    error_message = "initial_capacity keys must be HiveDriver or TezTask for a Hive application."
  }
}

variable "auto_start" {
  description = "Start the application automatically when a job is submitted."
  type        = bool
  default     = true
}

variable "auto_stop" {
  description = "Stop the application after idle_timeout_minutes without jobs, releasing pre-initialized workers."
  type        = bool
  default     = true
}

variable "idle_timeout_minutes" {
  description = "Idle minutes before the application stops itself, when auto_stop is true."
  type        = number
  default     = 15

  validation {
    condition     = var.idle_timeout_minutes >= 1 && var.idle_timeout_minutes <= 10080
    error_message = "idle_timeout_minutes must be between 1 and 10080 (one week)."
  }
}

variable "vpc_id" {
  description = "VPC of subnet_ids; the module creates the application's security group in it. Required when subnet_ids is not empty."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private subnets the workers run in (at most 16, ideally in two or more Availability Zones). Empty means no VPC access: jobs reach only public AWS endpoints."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.subnet_ids) <= 16
    error_message = "EMR Serverless accepts at most 16 subnets per application."
  }
}

variable "additional_security_group_ids" {
  description = "Security groups attached to the workers besides the module's own (at most 4 more)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.additional_security_group_ids) <= 4
    error_message = "EMR Serverless accepts at most 5 security groups; the module already adds one."
  }
}

variable "image_uri" {
  description = "Custom image for every worker, <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (needs emr-6.9.0 or later, built for architecture). Null uses the EMR base image."
  type        = string
  default     = null
}

variable "read_prefixes" {
  description = "S3 locations jobs read (scripts, dependencies, input data), as s3://bucket/prefix strings. The runtime role may get and list objects under them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for uri in var.read_prefixes : can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", uri))])
    error_message = "read_prefixes must be s3://bucket/prefix URIs."
  }
}

variable "write_prefixes" {
  description = "S3 locations jobs write (output, logs), as s3://bucket/prefix strings. The runtime role may put, get, delete and list objects under them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for uri in var.write_prefixes : can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", uri))])
    error_message = "write_prefixes must be s3://bucket/prefix URIs."
  }
}

variable "enable_glue" {
  description = "Let jobs use the AWS Glue Data Catalog as their metastore (the Hive default) (read and write table metadata in glue_databases)."
  type        = bool
  default     = true
}

variable "glue_databases" {
  description = "Glue databases the runtime role may use when enable_glue is true. Hive also looks up the default database."
  type        = list(string)
  default     = ["default"]
}

variable "enable_cloudwatch_logs" {
  description = "Let jobs write their logs to CloudWatch Logs under log_group_name."
  type        = bool
  default     = false
}

variable "log_group_name" {
  description = "CloudWatch Logs group jobs write to when enable_cloudwatch_logs is true."
  type        = string
  default     = "/aws/emr-serverless"
}

variable "tags" {
  description = "Tags for every resource the module creates. They are not copied to job runs."
  type        = map(string)
  default     = {}
}
