//! What the tests read of an SVG figure: its texts, its marks (circles) and
//! whether marks lie on the closed form's grey line.

/// The text elements of an SVG, in order.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            let text = body.split_once("</text>")?.0.trim();
            Some(text.replace("&apos;", "'").replace("&amp;", "&"))
        })
        .collect()
}

/// The marks (`<circle>`) of an SVG, as (cx, cy) in pixels, in order.
pub fn circles(svg: &str) -> Vec<(f64, f64)> {
    svg.split("<circle")
        .skip(1)
        .map(|c| {
            let attr = |name: &str| -> f64 {
                let at = c.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                c[at..].split('"').next().unwrap().parse().unwrap()
            };
            (attr("cx"), attr("cy"))
        })
        .collect()
}

/// Every mark lies on the closed form's line (the SVG's grey polyline,
/// followed between its points), to 1.5 pixels.
pub fn on_the_closed_form(svg: &str, marks: &[(f64, f64)]) {
    let line: Vec<(f64, f64)> = svg
        .split("<polyline")
        .filter(|p| p.contains("stroke=\"#6E6E6E\""))
        .map(|p| {
            p.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .max_by_key(|points| points.len())
        .expect("the closed form's line")
        .split_whitespace()
        .map(|xy| {
            let (x, y) = xy.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    for &(cx, cy) in marks {
        let near = line
            .windows(2)
            .filter(|w| w[0].0 <= cx && cx <= w[1].0)
            .any(|w| {
                let (lo, hi) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
                cy >= lo - 1.5 && cy <= hi + 1.5
            });
        assert!(near, "the mark at {cx},{cy} is off the closed form");
    }
}

/// A mark for each row and one for the legend, each mark where its row's
/// numbers put it: all marks one affine image of (x, y), fixed by the
/// first and last rows, to the pixel.
pub fn marks_where_the_rows_put_them(marks: &[(f64, f64)], rows: &[(f64, f64)]) {
    assert_eq!(
        marks.len(),
        rows.len() + 1,
        "a mark a row, and the legend's"
    );
    let (first, last) = (rows[0], rows[rows.len() - 1]);
    let (m0, m1) = (marks[0], marks[rows.len() - 1]);
    for (&(x, y), &(cx, cy)) in rows.iter().zip(marks) {
        let px = m0.0 + (x - first.0) / (last.0 - first.0) * (m1.0 - m0.0);
        let py = m0.1 + (y - first.1) / (last.1 - first.1) * (m1.1 - m0.1);
        assert!(
            (cx - px).abs() <= 1.0 && (cy - py).abs() <= 1.0,
            "{x},{y} at {cx},{cy}"
        );
    }
}

/// The y axis's numbers and their heights (the labels right-aligned at the
/// axis, each centred on its tick).
pub fn y_ticks(svg: &str) -> Vec<(f64, f64)> {
    svg.split("<text")
        .skip(1)
        .filter(|t| t.contains("text-anchor=\"end\""))
        .filter_map(|t| {
            let y = t.split(" y=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let body = t.split_once('>')?.1.split_once("</text>")?.0.trim();
            Some((body.parse().ok()?, y))
        })
        .collect()
}

/// The x axis's numbers and their places (the labels centred under
/// their ticks).
pub fn x_ticks(svg: &str) -> Vec<(f64, f64)> {
    svg.split("<text")
        .skip(1)
        .filter(|t| t.contains("text-anchor=\"middle\"") && t.contains("dy=\"0.76em\""))
        .filter_map(|t| {
            let x = t.split(" x=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let body = t.split_once('>')?.1.split_once("</text>")?.0.trim();
            Some((body.parse().ok()?, x))
        })
        .collect()
}

/// Where `value` lies on an axis, from the two ticks around it.
pub fn at_ticks(ticks: &[(f64, f64)], value: f64) -> f64 {
    let mut sorted = ticks.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let i = sorted
        .windows(2)
        .position(|w| w[1].0 >= value)
        .unwrap_or_else(|| panic!("{value} past the ticks {ticks:?}"));
    let (lo, hi) = (sorted[i], sorted[i + 1]);
    lo.1 + (value - lo.0) / (hi.0 - lo.0) * (hi.1 - lo.1)
}
