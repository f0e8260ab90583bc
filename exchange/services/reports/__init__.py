"""The partnership's annual and mid-year reports: their figures, content and documents."""
