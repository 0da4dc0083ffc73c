"""The partnership plan, findings and responses: we asked, you said, we did."""
