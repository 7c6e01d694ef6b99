//! The subscription. (being written)
