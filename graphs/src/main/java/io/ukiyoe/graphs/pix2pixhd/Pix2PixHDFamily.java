package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.graphs.model.NetworkFamily;
import io.ukiyoe.graphs.model.NetworkFile;

/** What the pix2pixHD families share: one file format for generators and discriminators alike. */
abstract class Pix2PixHDFamily implements NetworkFamily {
    @Override
    public String format() {
        return Pix2PixHDFiles.FORMAT;
    }

    @Override
    public String formatVersion() {
        return Pix2PixHDFiles.FORMAT_VERSION;
    }

    /** Either kind of pix2pixHD file (they share the format tag, so the registry may hand either to either family). */
    @Override
    public String describe(NetworkFile file) {
        return Pix2PixHDFiles.describe(file);
    }
}
