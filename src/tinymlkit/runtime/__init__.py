"""Reading .tflite files and running them in the TensorFlow Lite for Microcontrollers interpreter."""
