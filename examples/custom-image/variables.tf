variable "region" {
  description = "AWS Region for the repository and the application (an image must be in the application's Region)."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the application and the repository, and prefix of the runtime role. Unique per account and Region."
  type        = string
  default     = "emrform-custom-image"
}

variable "release_label" {
  description = "EMR release of the application; the image must be built FROM the matching base image, public.ecr.aws/emr-serverless/spark/<release_label>:latest."
  type        = string
  default     = "emr-7.2.0"
}

variable "bucket" {
  description = "Existing S3 bucket with job scripts under scripts/; jobs write under output/ and logs/."
  type        = string
  default     = "emrform-custom-image-data"
}
