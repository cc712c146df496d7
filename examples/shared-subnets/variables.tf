variable "region" {
  description = "AWS Region to create everything in."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every name; the applications are <name_prefix>-etl, -ml and -adhoc. Unique per account and Region."
  type        = string
  default     = "emrform-shared"
}

variable "vpc_cidr" {
  description = "IPv4 block of the new VPC."
  type        = string
  default     = "10.30.0.0/16"
}

variable "bucket" {
  description = "Existing S3 bucket; each application reads s3://<bucket>/<app>/scripts/ and s3://<bucket>/data/ and writes s3://<bucket>/<app>/output/."
  type        = string
  default     = "emrform-shared-subnets-data"
}
