/* Empty translation unit: mediasoup link_whole()s this stand-in; the real library comes from Debian. */
