//! IAM: roles, managed policies, inline role policies, role policy attachments.

use super::config::Clients;
use super::registry::Registry;

/// Registers the IAM types.
pub fn register(_r: &mut Registry, _clients: &Clients) {}
