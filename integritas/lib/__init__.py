"""Small, pure, tested helpers shared by every app. Nothing here imports Django models."""
