"""Use cases. Each public function is one unit of work with its own transaction.

Nothing here imports Textual or the command line: both call into this layer.
"""
