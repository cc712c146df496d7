//! State: what exists, in Terraform's state v4 layout, and the backends that keep it.
