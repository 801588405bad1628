//! Rectangles, points and segments: just enough geometry to lay out and lint a diagram.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// The point a fraction `t` of the way from `self` to `other`.
    pub fn lerp(self, other: Point, t: f32) -> Point {
        Point::new(self.x + (other.x - self.x) * t, self.y + (other.y - self.y) * t)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The rectangle grown by `by` on every side (shrunk when negative).
    pub fn inflate(&self, by: f32) -> Rect {
        Rect::new(self.x - by, self.y - by, self.w + 2.0 * by, self.h + 2.0 * by)
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - 0.01 && other.y >= self.y - 0.01 && other.right() <= self.right() + 0.01 && other.bottom() <= self.bottom() + 0.01
    }

    pub fn contains_point(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(x, y, self.right().max(other.right()) - x, self.bottom().max(other.bottom()) - y)
    }

    /// Where the ray from the centre towards `toward` leaves the rectangle.
    pub fn exit_point(&self, from: Point, toward: Point) -> Point {
        let (dx, dy) = (toward.x - from.x, toward.y - from.y);
        let mut t = f32::INFINITY;
        if dx > 0.0 {
            t = t.min((self.right() - from.x) / dx);
        } else if dx < 0.0 {
            t = t.min((self.x - from.x) / dx);
        }
        if dy > 0.0 {
            t = t.min((self.bottom() - from.y) / dy);
        } else if dy < 0.0 {
            t = t.min((self.y - from.y) / dy);
        }
        if t.is_finite() {
            Point::new(from.x + dx * t, from.y + dy * t)
        } else {
            from
        }
    }

    /// Whether the segment `a`–`b` passes through the rectangle's interior.
    pub fn crossed_by(&self, a: Point, b: Point) -> bool {
        // Liang–Barsky clipping: the segment crosses if a non-empty part of it lies inside.
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let mut t0: f32 = 0.0;
        let mut t1: f32 = 1.0;
        for (p, q) in [(-dx, a.x - self.x), (dx, self.right() - a.x), (-dy, a.y - self.y), (dy, self.bottom() - a.y)] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        t1 - t0 > 1e-4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_point_lies_on_the_border() {
        let rect = Rect::new(0.0, 0.0, 100.0, 50.0);
        let exit = rect.exit_point(rect.center(), Point::new(500.0, 25.0));
        assert_eq!(exit, Point::new(100.0, 25.0));
        let exit = rect.exit_point(rect.center(), Point::new(50.0, -300.0));
        assert_eq!(exit, Point::new(50.0, 0.0));
    }

    #[test]
    fn segment_crossing() {
        let rect = Rect::new(10.0, 10.0, 10.0, 10.0);
        assert!(rect.crossed_by(Point::new(0.0, 15.0), Point::new(30.0, 15.0)));
        assert!(!rect.crossed_by(Point::new(0.0, 0.0), Point::new(30.0, 0.0)));
        assert!(!rect.crossed_by(Point::new(0.0, 15.0), Point::new(5.0, 15.0)));
    }

    #[test]
    fn overlap_and_containment() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.intersects(&Rect::new(5.0, 5.0, 10.0, 10.0)));
        assert!(!a.intersects(&Rect::new(10.0, 0.0, 10.0, 10.0)), "touching edges do not overlap");
        assert!(a.inflate(1.0).contains(&a));
    }
}
