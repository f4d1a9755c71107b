//! The PNG figure's backend: plotters' bitmap, with its text drawn glyph by
//! glyph where the font puts it. plotters 0.3.7 (ab_glyph) places each glyph
//! at its pen position without its side bearing and rounds each glyph's top
//! towards zero on its own: at the subtitle's 15 px a period stood a pixel or
//! two above the digits' baseline (`0·5`) and letters with wide bearings drew
//! uneven gaps (`--par am`). Here each glyph is outlined at its exact pen
//! position on one baseline (plotters' own, half the size below the layout
//! box's top, to the nearest pixel, so anchors and the layout plotters
//! measures are unchanged), and its pixels go where its outline's bounds
//! say.

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

/// plotters' bitmap backend with the text drawn as above, in the figures'
/// one family (DejaVu Sans, `draw::register_fonts`), bold where the style
/// asks; everything else is the bitmap's own.
pub struct PngBackend<'a> {
    bitmap: BitMapBackend<'a>,
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl<'a> PngBackend<'a> {
    /// Draws into `pixels` (RGB, `width` x `height`).
    pub fn with_buffer(pixels: &'a mut [u8], (width, height): (u32, u32)) -> Self {
        // The bundled bytes are valid TrueType (as `draw::register_fonts`).
        let font = |bytes| FontRef::try_from_slice(bytes).expect("the bundled DejaVu font");
        Self {
            bitmap: BitMapBackend::with_buffer(pixels, (width, height)),
            regular: font(dejavu::sans::regular()),
            bold: font(dejavu::sans::bold()),
        }
    }
}

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for PngBackend<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.bitmap.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.bitmap.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.bitmap.present()
    }

    fn draw_pixel(&mut self, at: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.bitmap.draw_pixel(at, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.bitmap.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.bitmap.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(
        &mut self,
        at: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<'a>> {
        self.bitmap.blit_bitmap(at, size, src)
    }

    /// The text at `at` by the style's anchor and turn, as plotters lays
    /// it out (`layout_box`), each glyph on the baseline at its pen position.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        at: BackendCoord,
    ) -> Result<(), Error<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let font = match style.style() {
            FontStyle::Bold => self.bold.clone(),
            _ => self.regular.clone(),
        };
        let size = style.size() as f32;
        let scaled = font.as_scaled(size);
        let turn = style.transform();
        let (w, h) = self.get_size();
        // plotters' baseline, on a whole pixel: at an odd size half a pixel
        // under it blurred every glyph's foot into the row below.
        let baseline = (size / 2.0).round();
        let mut pen = 0.0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(size, point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            let mut result = Ok(());
            outline.draw(|x, y, coverage| {
                let (x, y) =
                    turn.transform(left + x as i32 + dx - min_x, top + y as i32 + dy - min_y);
                let (x, y) = (at.0 + x, at.1 + y);
                if result.is_ok()
                    && coverage > 0.0
                    && (0..w as i32).contains(&x)
                    && (0..h as i32).contains(&y)
                {
                    let ink = BackendColor {
                        alpha: color.alpha * f64::from(coverage.min(1.0)),
                        rgb: color.rgb,
                    };
                    result = self.bitmap.draw_pixel((x, y), ink);
                }
            });
            result?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first and last rows and columns that `text` inks, drawn at
    /// (20, 20) on a white page.
    fn inked(text: &str, size: f64) -> (i32, i32, i32, i32) {
        super::super::draw::register_fonts();
        let (w, h) = (200usize, 80usize);
        let mut pixels = vec![255u8; w * h * 3];
        {
            let style = ("sans-serif", size).into_font().color(&BLACK);
            let mut b = PngBackend::with_buffer(&mut pixels, (200, 80));
            b.draw_text(text, &style, (20, 20)).ok().unwrap();
            b.present().ok().unwrap();
        }
        let ink = |x: usize, y: usize| pixels[(y * w + x) * 3] < 160;
        let rows: Vec<i32> = (0..h)
            .filter(|&y| (0..w).any(|x| ink(x, y)))
            .map(|y| y as i32)
            .collect();
        let cols: Vec<i32> = (0..w)
            .filter(|&x| (0..h).any(|y| ink(x, y)))
            .map(|x| x as i32)
            .collect();
        (
            rows[0],
            *rows.last().unwrap(),
            cols[0],
            *cols.last().unwrap(),
        )
    }

    /// Glyphs that stand on the baseline end on the same row of pixels,
    /// at every size: plotters' own drawing had a period a row above the
    /// letters at odd sizes (the subtitle's 15 px).
    #[test]
    fn glyphs_stand_on_one_baseline() {
        for size in 10..=30 {
            let foot = |t| inked(t, f64::from(size)).1;
            let feet: Vec<i32> = [".", "x", "l", "5", "1", "A"].map(foot).to_vec();
            assert!(feet.iter().all(|&f| f == feet[0]), "{size} px: {feet:?}");
        }
    }

    /// A glyph's ink starts its side bearing after the pen (plotters' own
    /// drawing put every glyph's ink at the pen: a period two pixels left
    /// of its place at 24 px).
    #[test]
    fn glyphs_keep_their_side_bearings() {
        let font = FontRef::try_from_slice(dejavu::sans::regular()).unwrap();
        for size in 10..=30 {
            for t in [".", "l", "0", "x", "j", "T"] {
                let c = t.chars().next().unwrap();
                let scaled = font.as_scaled(size as f32);
                let bearing = scaled.h_side_bearing(scaled.glyph_id(c));
                let left = inked(t, f64::from(size)).2;
                assert!(
                    (left as f32 - (20.0 + bearing)).abs() <= 1.0,
                    "{t:?} at {size} px: ink from {left}, bearing {bearing}"
                );
            }
        }
    }
}
