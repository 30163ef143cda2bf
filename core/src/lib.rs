//! The one source of truth for Front Payment's Connect order API.
