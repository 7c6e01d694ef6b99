//! Mail: SMTP settings, the Outbox, sending and retrying. (being written)
