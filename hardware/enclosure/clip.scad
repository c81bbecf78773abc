// footfall sensor clip: a box for the board, the IMU and the cell, with a lace or heel clip underneath.
// All sizes in mm. Override any parameter on the command line, e.g.
//   openscad -o clip.stl -D 'clip="heel"' -D 'strap_w=25' hardware/enclosure/clip.scad
// The IMU lies flat on the floor, so the sensor's z axis is the box normal; the toe end is +x. The heel clip
// stands upright on the back of the heel counter, USB-C (+x) end down, switch end up, lid facing back.
// The model echoes the positions of its openings ("ECHO: name = ..."); tests/hardware/test_enclosure.py checks
// on the rendered mesh that they are where the echo says.

board = "xiao_esp32s3";   // "xiao_esp32s3" (reference build) or "m5stickc_plus2"
clip = "lace";            // "lace": two loops for the laces; "heel": one loop for a strap round the heel counter
part = "body";            // "body" or "lid"

// Reference build parts (measure yours; add a little for solder joints and wires).
board_l = 21.0;  board_w = 17.8;  board_h = 4.0;    // Seeed XIAO ESP32S3 with its RF shield
board_standoff = 1.5;  // the board sits this high above the floor: foam tape + the cell wires on its BAT pads
usb_z = 2.6;           // USB-C socket centre above the board's underside (1 mm PCB + half the 3.2 mm socket)
imu_l = 25.6;    imu_w = 17.8;    imu_h = 4.6;      // Adafruit LSM6DSO32 breakout with STEMMA QT sockets
cell_l = 30.0;   cell_w = 20.0;   cell_h = 5.5;     // 502030 LiPo (250 mAh), a little swollen
// SS12D00G3 slide switch behind the heel-end wall: body length (along y), width (along z), depth (along x); its
// lever comes out through a window in the wall, the body sits in a pocket behind it (two ribs hold it sideways,
// the wall takes the push), so the window is lever-sized and the pocket body-sized plus switch_clear all round.
switch_l = 8.7;  switch_h = 3.7;  switch_d = 3.5;  switch_clear = 0.25;
switch_lever_w = 2.0;  switch_lever_h = 1.5;  switch_travel = 2.0;  // lever cross-section (y, z), its slide along y
switch_rib_t = 1.2;  switch_rib_d = 2.0;  // pocket ribs: thickness, reach from the wall (short: prints unsupported)
// The XIAO's external antenna (the flat one in its bag): a pocket in the outside of the lid over the heel end,
// where the cell is not, and a hole for its U.FL lead. Measure yours: ant_l along y, ant_w along x.
ant_l = 20.0;    ant_w = 10.0;    ant_d = 0.8;      // pocket length, width, depth (lid_t - ant_d is left)
ant_hole = 3.5;  ant_clear = 2.0;                   // U.FL plug hole; min. distance from the cell's end (in x)
// Ready-made alternative: the whole M5StickC Plus2 goes in, screen up, USB-C toward the toe end.
m5_l = 48.5;     m5_w = 24.5;     m5_h = 14.0;
m5_usb_z = 5.1;                                     // its USB-C centre above the box floor (check yours)
// Power button (BUTTON C, G35) on the stick's left side near its top (heel) end: a slot in that side wall,
// long enough to find it; check yours against docs.m5stack.com before printing.
m5_btn_side = -1; m5_btn_x = 5.0; m5_btn_l = 14.0; m5_btn_h = 6.0;  // side -1: y=0 wall; x from the heel inside
m5_led_w = 10.0;  m5_led_h = 6.0;                   // light window in the heel-end wall for the red LED (G19)

wall = 1.8;      // side walls
floor_t = 1.6;   // floor under the IMU (thin: the IMU should see the shoe, not a spring)
gap = 0.4;       // clearance around every part
foam = 1.0;      // foam tape between the IMU/board layer and the cell
corner_r = 3.0;  // outer corner radius
usb_w = 10.0;    usb_h = 4.2;                       // USB-C plug opening at the board end
usb_cb_w = 13.0; usb_cb_h = 7.0; usb_cb_wall = 0.7; // outside counterbore for the cable's overmold; wall it leaves

lace_gap_w = 11.0; lace_gap_h = 3.0;                // lace channel: width (along x) and height; laces run along y
lace_post = 2.0;  lace_t = 1.6;  lace_end = 4.0;    // loop side posts, bridge under the channel, inset from ends (> corner_r)
// 0: the two loops at the box's ends (channel centres 28.4 mm apart on the reference box: thread the first and the
// third lace crossing); > 0: channel centres this far apart, about the box's middle (your shoe's distance between
// two neighbouring lace crossings, to thread the top two)
lace_pitch = 0;
// heel: one loop under the floor for a hook-and-loop strap that goes round the outside of the heel counter;
// nothing of the clip goes inside the shoe
strap_w = 20.0;  strap_t = 2.5;                     // the strap's width and thickness (measure yours)
lid_t = 1.6;     lip_h = 2.5;  lip_t = 1.2;         // lid plate; the lip that goes into the box
lid_gap = 0.15;                                     // lip-to-wall clearance: a press fit
snap_l = 10.0;   snap_r = 0.45;                     // snap ridges on the lip's long sides; grooves in the walls

$fn = 32;

m5 = board == "m5stickc_plus2";
lace_w = lace_gap_w + 2 * lace_post;
heel_gap_w = strap_w + 2 * gap;  heel_gap_h = strap_t + gap;  // the strap's channel (along x, z); runs along y
heel_w = heel_gap_w + 2 * lace_post;
assert(m5 || imu_l + board_l + 3 * gap - cell_l - 2 * gap >= switch_d,
       "the cell is too long: no room left for the switch body at the heel end");
inner_l = m5 ? m5_l + 2 * gap : imu_l + board_l + 3 * gap;
inner_w = m5 ? m5_w + 2 * gap : max(imu_w, board_w, cell_w) + 2 * gap;
layer_h = max(imu_h, board_standoff + board_h);     // the IMU/board layer under the cell
// the lid's lip goes in above the contents, so it holds them down instead of landing on the cell
inner_h = (m5 ? m5_h + gap : layer_h + foam + cell_h + gap) + lip_h;
outer_l = inner_l + 2 * wall;
outer_w = inner_w + 2 * wall;
outer_h = inner_h + floor_t;
assert(2 * lace_w + 2 * lace_end + 4 <= outer_l, "lace loops too wide for the box: lower lace_gap_w");
assert(lace_pitch == 0 || lace_pitch >= lace_gap_w + lace_post,
       "lace_pitch too small: the two channels would run into each other (at least lace_gap_w + lace_post)");
assert(lace_pitch + lace_w <= outer_l, "lace_pitch too large for the box");
assert(heel_w <= outer_l, "the heel strap is wider than the box is long: lower strap_w");

usb_c = floor_t + (m5 ? m5_usb_z : board_standoff + usb_z);  // height of the USB-C centre
// antenna pocket: in x from the heel end to ant_clear short of the cell's heel end; y centred
cell_x0 = wall + inner_l - gap - cell_l;            // the cell lies against the toe end
ant_x0 = wall + 1.0;
ant_y0 = (outer_w - ant_l) / 2;
assert(m5 || ant_x0 + ant_w <= cell_x0 - ant_clear,
       "the antenna pocket would lie over the cell: measure ant_w or use a smaller cell");
lip_in = wall + lid_gap + lip_t;                    // the lip's inner face, from the outside
// the lead's hole: in the pocket, clear of the lip (inside its ring), near the pocket's end
ant_hole_c = [ant_x0 + ant_w / 2, max(ant_y0 + 0.5, lip_in + 0.3) + ant_hole / 2];
assert(m5 || (ant_hole_c[1] + ant_hole / 2 <= ant_y0 + ant_l && ant_hole_c[0] - ant_hole / 2 >= lip_in),
       "the antenna's lead hole does not fit in the pocket inside the lid's lip");
snap_z = outer_h - lip_h / 2;                       // ridge centre height when the lid is on
// switch: the body lies on the foam over the IMU/board layer; the lever window is centred on the body
sw_z0 = floor_t + layer_h + foam;                   // pocket bottom
sw_pocket = [switch_l + 2 * switch_clear, switch_h + 2 * switch_clear];  // along y, z
sw_window = [switch_lever_w + switch_travel + 2 * switch_clear, switch_lever_h + 2 * switch_clear];
sw_zc = sw_z0 + sw_pocket[1] / 2;                   // window and pocket centre height
assert(m5 || sw_pocket[0] + 2 * switch_rib_t <= inner_w, "the switch pocket is wider than the box");
assert(m5 || sw_window[0] < switch_l && sw_window[1] < switch_h, "the lever window would let the switch body through");

// one name per echo: tests/hardware reads these
echo(outer = [outer_l, outer_w, outer_h]);
echo(lid = [wall, floor_t, lid_t, lip_h]);
echo(lace_channels = [for (x = lace_xs()) [x + lace_post, x + lace_post + lace_gap_w]]);
echo(lace_z = [-lace_gap_h, 0]);
echo(heel_strap_x = [(outer_l - heel_gap_w) / 2, (outer_l + heel_gap_w) / 2]);
echo(heel_strap_z = [-heel_gap_h, 0]);
echo(usb = [usb_c, usb_w, usb_h]);
echo(usb_cb = [usb_cb_w, usb_cb_h, wall - usb_cb_wall]);
echo(antenna = m5 ? [] : [ant_x0, ant_y0, ant_w, ant_l, ant_d]);
echo(antenna_hole = [ant_hole_c[0], ant_hole_c[1], ant_hole]);
echo(cell_x0 = cell_x0);
echo(lid_gap = lid_gap);
echo(snap = [snap_z, snap_r, snap_l]);
echo(switch_window = m5 ? [] : [sw_zc, sw_window[0], sw_window[1]]);
echo(switch_pocket = m5 ? [] : [sw_zc, sw_pocket[0], sw_pocket[1], switch_rib_d]);
echo(m5_button = m5 ? [wall + gap + m5_btn_x, m5_btn_l, floor_t + m5_h / 2, m5_btn_h, m5_btn_side] : []);
echo(m5_led = m5 ? [floor_t + m5_h / 2, m5_led_w, m5_led_h] : []);

function lace_xs() = lace_pitch > 0 ? [for (s = [-1, 1]) (outer_l - lace_w) / 2 + s * lace_pitch / 2]
                                    : [lace_end, outer_l - lace_end - lace_w];

module rounded_block(l, w, h, r) {
    hull() for (x = [r, l - r], y = [r, w - r]) translate([x, y, 0]) cylinder(r = r, h = h);
}

module snap_grooves() {
    // in both long walls, level with the lid's ridges: snap_r deep, lid_gap of play around the ridge
    // (the ridge's crest reaches snap_r - lid_gap into the wall as the lid goes on, then clicks into this)
    for (y = [wall - snap_r, outer_w - wall - 0.5])
        translate([(outer_l - snap_l) / 2 - lid_gap, y, snap_z - snap_r - lid_gap])
            cube([snap_l + 2 * lid_gap, snap_r + 0.5, 2 * (snap_r + lid_gap)]);
}

module shell() {
    difference() {
        rounded_block(outer_l, outer_w, outer_h, corner_r);
        translate([wall, wall, floor_t]) cube([inner_l, inner_w, inner_h + 1]);
        // USB-C opening in the toe end wall, level with the board's connector, and a counterbore from the
        // outside for the cable's overmold, leaving usb_cb_wall in front of the socket
        translate([outer_l - wall - 1, (outer_w - usb_w) / 2, usb_c - usb_h / 2]) cube([wall + 2, usb_w, usb_h]);
        translate([outer_l - wall + usb_cb_wall, (outer_w - usb_cb_w) / 2, usb_c - usb_cb_h / 2])
            cube([wall, usb_cb_w, usb_cb_h]);
        // switch lever window in the heel-end wall, in the cell layer: the cell lies against the toe end, which
        // leaves inner_l - cell_l - 2 gap for the switch body (the cell spans the whole width, so not beside it)
        if (!m5)
            translate([-1, (outer_w - sw_window[0]) / 2, sw_zc - sw_window[1] / 2])
                cube([wall + 2, sw_window[0], sw_window[1]]);
        if (m5) {
            // power button slot in the side wall, LED window in the heel-end wall
            translate([wall + gap + m5_btn_x, m5_btn_side < 0 ? -1 : outer_w - wall - 1, floor_t + m5_h / 2 - m5_btn_h / 2])
                cube([m5_btn_l, wall + 2, m5_btn_h]);
            translate([-1, (outer_w - m5_led_w) / 2, floor_t + m5_h / 2 - m5_led_h / 2])
                cube([wall + 2, m5_led_w, m5_led_h]);
        }
        snap_grooves();
    }
}

module switch_ribs() {
    // two ribs on the inside of the heel-end wall, one each side of the switch body: they keep it from sliding
    // with its lever, and the wall keeps it from being pushed out; short enough to print without support
    for (s = [-1, 1])
        translate([wall - 0.01, outer_w / 2 + (s < 0 ? -sw_pocket[0] / 2 - switch_rib_t : sw_pocket[0] / 2), sw_z0])
            cube([switch_rib_d + 0.01, switch_rib_t, sw_pocket[1]]);
}

module lace_loops() {
    // two bridges under the floor; the laces run through them across the shoe (along y)
    for (x = lace_xs())
        translate([x, 0, -(lace_gap_h + lace_t)])
            difference() {
                cube([lace_w, outer_w, lace_gap_h + lace_t + 0.5]);  // 0.5 into the floor: one solid
                translate([lace_post, -1, lace_t]) cube([lace_gap_w, outer_w + 2, lace_gap_h]);
            }
}

module heel_loop() {
    // one bridge under the floor, in the middle: a hook-and-loop strap runs through it across the box (along y)
    // and round the outside of the heel counter. The bridge's face lies on the counter; nothing enters the shoe.
    translate([(outer_l - heel_w) / 2, 0, -(heel_gap_h + lace_t)])
        difference() {
            cube([heel_w, outer_w, heel_gap_h + lace_t + 0.5]);  // 0.5 into the floor: one solid
            translate([lace_post, -1, lace_t]) cube([heel_gap_w, outer_w + 2, heel_gap_h]);
        }
}

module body() {
    union() {
        shell();
        if (!m5) switch_ribs();
        if (clip == "lace") lace_loops();
        if (clip == "heel") heel_loop();
    }
}

module lid() {
    // modelled as printed: outer face down on the plate, lip up; it goes on the box flipped over (about x),
    // so the antenna pocket stays at the heel end
    difference() {
        union() {
            rounded_block(outer_l, outer_w, lid_t, corner_r);
            translate([wall + lid_gap, wall + lid_gap, lid_t - 0.01])
                difference() {
                    cube([inner_l - 2 * lid_gap, inner_w - 2 * lid_gap, lip_h]);
                    translate([lip_t, lip_t, -1]) cube([inner_l - 2 * lid_gap - 2 * lip_t, inner_w - 2 * lid_gap - 2 * lip_t, lip_h + 2]);
                }
            // snap ridges on the lip's outer long faces, at half the lip's height
            for (y = [wall + lid_gap, outer_w - wall - lid_gap])
                translate([(outer_l - snap_l) / 2, y, lid_t + lip_h / 2]) rotate([0, 90, 0]) cylinder(r = snap_r, h = snap_l, $fn = 16);
        }
        if (!m5) {
            translate([ant_x0, ant_y0, -1]) cube([ant_w, ant_l, ant_d + 1]);
            translate([ant_hole_c[0], ant_hole_c[1], -1]) cylinder(d = ant_hole, h = lid_t + 2);
        }
    }
}

if (part == "lid") lid(); else body();
