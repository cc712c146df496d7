variable "region" {
  description = "AWS Region."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of every name."
  type        = string
  default     = "emrform-bad-capacity-initial-over-max"
}
