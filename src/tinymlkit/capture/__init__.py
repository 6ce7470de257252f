"""Recording data: the serial protocol the capture sketches speak, the board link, the microphone, recording
sessions, the simulated board and the capture sketches themselves."""
