variable "region" {
  description = "AWS Region to create everything in."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the application and prefix of every other name. Unique per account and Region."
  type        = string
  default     = "emrform-spark-in-vpc"
}

variable "vpc_cidr" {
  description = "IPv4 block of the new VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "bucket" {
  description = "Existing S3 bucket with job scripts under scripts/ and data under data/; jobs write under output/ and logs/."
  type        = string
  default     = "emrform-spark-in-vpc-data"
}
