# WRONG ON PURPOSE: idle_timeout_minutes is not an argument of aws_emrserverless_application;
# it belongs inside auto_stop_configuration. Terraform and emrform must both refuse this file.

resource "aws_emrserverless_application" "reports" {
  name          = "${var.name}-reports"
  type          = "spark"
  release_label = "emr-7.2.0"

  idle_timeout_minutes = 30

  maximum_capacity {
    cpu    = "16 vCPU"
    memory = "64 GB"
  }
}
