package dev.tabrunner.adapter;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A live-view frame made to fit a transport's size limit (a DynamoDB item, a WebSocket message): re-encoded at lower
 * JPEG quality first, then scaled down, until it fits. The factor travels with the frame so that a click on the
 * shrunk frame can be scaled back to the page.
 *
 * @param jpeg  the frame as it fits
 * @param scale its width over the original's: 1.0 for a frame that fitted as it was
 */
public record FrameFit(byte[] jpeg, double scale) {

    /**
     * @throws IllegalArgumentException when the frame is not an image or cannot be made small enough
     */
    public static FrameFit of(byte[] jpeg, int maxBytes) {
        if (jpeg.length <= maxBytes) {
            return new FrameFit(jpeg, 1.0);
        }
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (source == null) {
                throw new IllegalArgumentException("the frame is not an image");
            }
            double scale = Math.min(1.0, Math.sqrt((double) maxBytes / jpeg.length));
            for (int attempt = 0; attempt < 8; attempt++) {
                byte[] out = encode(scaled(source, scale), 0.5f);
                if (out.length <= maxBytes) {
                    return new FrameFit(out, scale);
                }
                scale *= 0.75;
            }
            throw new IllegalArgumentException("the frame cannot be made small enough");
        } catch (IOException e) {
            throw new IllegalArgumentException("the frame could not be re-encoded", e);
        }
    }

    private static BufferedImage scaled(BufferedImage source, double scale) {
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static byte[] encode(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
