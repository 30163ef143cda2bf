//! Frontdesk edge proxy.
