# WRONG ON PURPOSE: the pre-initialized workers (1 driver + 10 executors of 4 vCPU = 44 vCPU)
# need more than the maximum capacity allows (32 vCPU). Pre-initialized capacity counts
# against the maximum, so the application cannot start them.

resource "aws_emrserverless_application" "reports" {
  name          = "${var.name}-reports"
  type          = "spark"
  release_label = "emr-7.2.0"

  initial_capacity {
    initial_capacity_type = "Driver"

    initial_capacity_config {
      worker_count = 1

      worker_configuration {
        cpu    = "4 vCPU"
        memory = "16 GB"
      }
    }
  }

  initial_capacity {
    initial_capacity_type = "Executor"

    initial_capacity_config {
      worker_count = 10

      worker_configuration {
        cpu    = "4 vCPU"
        memory = "16 GB"
      }
    }
  }

  # 44 vCPU / 176 GB of workers above, but only 32 vCPU allowed.
  maximum_capacity {
    cpu    = "32 vCPU"
    memory = "256 GB"
  }
}
