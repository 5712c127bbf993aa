"""What a run leaves behind: run folders, the printed summary, generated documentation."""
