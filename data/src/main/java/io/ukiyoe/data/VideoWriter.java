package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Rational;

/**
 * Writes frames to an MP4 (H.264 via jcodec) or an animated GIF (ImageIO), chosen by the file
 * extension. Frames go to a temporary file that is renamed into place on {@link #close()}, so an
 * interrupted render never leaves a half-written video.
 */
public final class VideoWriter implements Closeable {
    private final Path target;
    private final Path tmp;
    private final int fps;
    private final AWTSequenceEncoder mp4;
    private final SeekableByteChannel channel;
    private final ImageWriter gif;
    private final ImageOutputStream gifOut;
    private int frames;
    private boolean closed;

    private VideoWriter(Path target, int fps) throws IOException {
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (fps <= 0 || fps > 120) {
            throw new UserError("--fps: must be between 1 and 120, got " + fps, 2, null);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.target = target;
        this.fps = fps;
        if (!name.endsWith(".mp4") && !name.endsWith(".gif")) {
            throw new UserError(target + ": video files must end in .mp4 or .gif", 2, null);
        }
        this.tmp = AtomicFiles.newTempFile(target);
        try {
            if (name.endsWith(".mp4")) {
                channel = NIOUtils.writableChannel(tmp.toFile());
                mp4 = new AWTSequenceEncoder(channel, Rational.R(fps, 1));
                gif = null;
                gifOut = null;
            } else {
                channel = null;
                mp4 = null;
                gif = ImageIO.getImageWritersByFormatName("gif").next();
                gifOut = ImageIO.createImageOutputStream(tmp.toFile());
                gif.setOutput(gifOut);
                gif.prepareWriteSequence(null);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }


    public static VideoWriter open(Path target, int fps) {
        try {
            return new VideoWriter(target, fps);
        } catch (IOException e) {
            throw new UserError(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    public int frames() {
        return frames;
    }

    public void add(BufferedImage frame) throws IOException {
        if (mp4 != null) {
            mp4.encodeImage(even(frame));
        } else {
            IIOMetadata meta = gif.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
            String format = meta.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode control = child(root, "GraphicControlExtension");
            control.setAttribute("disposalMethod", "none");
            control.setAttribute("userInputFlag", "FALSE");
            control.setAttribute("transparentColorFlag", "FALSE");
            control.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(100f / fps))));
            control.setAttribute("transparentColorIndex", "0");
            if (frames == 0) { // loop forever (NETSCAPE2.0 application extension)
                IIOMetadataNode apps = child(root, "ApplicationExtensions");
                IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                app.setAttribute("applicationID", "NETSCAPE");
                app.setAttribute("authenticationCode", "2.0");
                app.setUserObject(new byte[] {1, 0, 0});
                apps.appendChild(app);
            }
            meta.setFromTree(format, root);
            gif.writeToSequence(new IIOImage(frame, null, meta), null);
        }
        frames++;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }

    /** H.264 needs even dimensions. */
    private static BufferedImage even(BufferedImage img) {
        int w = img.getWidth() & ~1;
        int h = img.getHeight() & ~1;
        return w == img.getWidth() && h == img.getHeight() ? img : img.getSubimage(0, 0, w, h);
    }

    /** Scales a frame to {@code width} pixels wide (bilinear), keeping the aspect ratio. */
    public static BufferedImage scaleToWidth(BufferedImage img, int width) {
        if (img.getWidth() == width) {
            return img;
        }
        int height = Math.max(2, Math.round(img.getHeight() * (width / (float) img.getWidth())));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Finishes the file and moves it into place. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mp4 != null) {
                mp4.finish();
                channel.close();
            } else {
                gif.endWriteSequence();
                gifOut.close();
                gif.dispose();
            }
            if (frames == 0) {
                throw new IOException("no frames were rendered");
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Drops a partial video (e.g. after an error) without touching an existing target. */
    public void abandon() {
        closed = true;
        try {
            if (gifOut != null) {
                gifOut.close();
            }
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: the temporary file is hidden and named after the target
        }
    }
}
