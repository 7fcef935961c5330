"""Drawing modules of the pages too long for one file: tab functions taking their inputs."""
