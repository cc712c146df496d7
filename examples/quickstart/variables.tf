variable "region" {
  description = "AWS Region to create the application in."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the application; also the prefix of its runtime role. Unique per account and Region."
  type        = string
  default     = "emrform-quickstart"
}

variable "bucket" {
  description = "Existing S3 bucket with your job scripts under scripts/; jobs write under output/ and logs/."
  type        = string
  default     = "emrform-quickstart-data"
}
