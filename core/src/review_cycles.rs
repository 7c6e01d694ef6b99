//! Review cycles. (being written)
