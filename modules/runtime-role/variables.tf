variable "name" {
  description = "Name of the IAM role (at most 64 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and + = , . @ _ -."
  }
}

variable "read_prefixes" {
  description = "S3 locations jobs read (scripts, dependencies, input data), as s3://bucket/prefix strings; s3://bucket alone means the whole bucket."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for uri in var.read_prefixes : can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", uri))])
    error_message = "read_prefixes must be s3://bucket/prefix URIs."
  }
}

variable "write_prefixes" {
  description = "S3 locations jobs write (output, staging, logs), as s3://bucket/prefix strings."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for uri in var.write_prefixes : can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", uri))])
    error_message = "write_prefixes must be s3://bucket/prefix URIs."
  }
}

variable "enable_glue" {
  description = "Allow the AWS Glue Data Catalog as metastore: read and write table and partition metadata in glue_databases."
  type        = bool
  default     = false
}

variable "glue_databases" {
  description = "Glue databases the role may use when enable_glue is true. Spark and Hive also look up the default database."
  type        = list(string)
  default     = ["default"]
}

variable "enable_cloudwatch_logs" {
  description = "Allow jobs to write their logs to CloudWatch Logs under log_group_name."
  type        = bool
  default     = false
}

variable "log_group_name" {
  description = "CloudWatch Logs group jobs write to when enable_cloudwatch_logs is true."
  type        = string
  default     = "/aws/emr-serverless"
}

variable "permissions_boundary" {
  description = "ARN of a managed policy to set as the role's permissions boundary, if your organisation requires one."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
}
