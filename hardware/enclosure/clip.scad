// footfall sensor clip: a box for the board, the IMU and the cell, with a lace or heel clip underneath.
// All sizes in mm. Override any parameter on the command line, e.g.
//   openscad -o clip.stl -D 'clip="heel"' -D 'cell_l=35' hardware/enclosure/clip.scad
// The IMU lies flat on the floor, so the sensor's z axis is the box normal; the toe end is +x.

board = "xiao_esp32s3";   // "xiao_esp32s3" (reference build) or "m5stickc_plus2"
clip = "lace";            // "lace": two strap loops for the laces; "heel": hook over the heel counter
part = "body";            // "body" or "lid"

// Reference build parts (measure yours; add a little for solder joints and wires).
board_l = 21.0;  board_w = 17.8;  board_h = 4.0;    // Seeed XIAO ESP32S3 with its RF shield
imu_l = 25.6;    imu_w = 17.8;    imu_h = 4.6;      // Adafruit LSM6DSO32 breakout with STEMMA QT sockets
cell_l = 30.0;   cell_w = 20.0;   cell_h = 5.5;     // 502030 LiPo (250 mAh), a little swollen
switch_l = 8.7;  switch_h = 4.0;  switch_d = 3.5;  // SS12D00G3 body through the heel-end wall; depth inside
// Ready-made alternative: the whole M5StickC Plus2 goes in.
m5_l = 48.5;     m5_w = 24.5;     m5_h = 14.0;

wall = 1.8;      // side walls
floor_t = 1.6;   // floor under the IMU (thin: the IMU should see the shoe, not a spring)
gap = 0.4;       // clearance around every part
foam = 1.0;      // foam tape between the IMU/board layer and the cell
corner_r = 3.0;  // outer corner radius
usb_w = 10.0;    usb_h = 4.2;                       // USB-C plug opening at the board end

lace_w = 6.0;    lace_gap_h = 2.4;  lace_gap_w = 4.0; // loops: lace channel height and width, along y
counter_t = 4.0; tongue_l = 24.0;   tongue_t = 1.8;   // heel: counter thickness, tongue inside the shoe
lid_t = 1.6;     lip_h = 2.0;

$fn = 32;

m5 = board == "m5stickc_plus2";
assert(m5 || imu_l + board_l + 3 * gap - cell_l - 2 * gap >= switch_d,
       "the cell is too long: no room left for the switch body at the heel end");
inner_l = m5 ? m5_l + 2 * gap : imu_l + board_l + 3 * gap;
inner_w = m5 ? m5_w + 2 * gap : max(imu_w, board_w, cell_w) + 2 * gap;
inner_h = m5 ? m5_h + gap : max(imu_h, board_h) + foam + cell_h + gap;
outer_l = inner_l + 2 * wall;
outer_w = inner_w + 2 * wall;
outer_h = inner_h + floor_t;

module rounded_block(l, w, h, r) {
    hull() for (x = [r, l - r], y = [r, w - r]) translate([x, y, 0]) cylinder(r = r, h = h);
}

module shell() {
    difference() {
        rounded_block(outer_l, outer_w, outer_h, corner_r);
        translate([wall, wall, floor_t]) cube([inner_l, inner_w, inner_h + 1]);
        // USB-C opening in the toe end wall, level with the board's connector
        translate([outer_l - wall - 1, (outer_w - usb_w) / 2, floor_t + (m5 ? 3 : 0.6)])
            cube([wall + 2, usb_w, usb_h]);
        // switch slot in the heel-end wall, in the cell layer: the cell lies against the toe end, which leaves
        // inner_l - cell_l - 2 gap for the switch body (the cell spans the whole width, so not beside it)
        if (!m5)
            translate([-1, (outer_w - switch_l) / 2, floor_t + max(imu_h, board_h) + foam])
                cube([wall + 2, switch_l, switch_h]);
    }
}

module lace_loops() {
    // two bridges under the floor; the laces run through them across the shoe (along y)
    for (x = [outer_l * 0.22, outer_l * 0.78 - lace_w])
        translate([x, 0, -(lace_gap_h + 1.6)])
            difference() {
                cube([lace_w, outer_w, lace_gap_h + 1.6 + 0.5]);  // 0.5 into the floor: one solid
                translate([(lace_w - lace_gap_w) / 2, -1, 1.6]) cube([lace_gap_w, outer_w + 2, lace_gap_h]);
            }
}

module heel_hook() {
    // a U over the top edge of the heel counter: box floor outside, tongue inside the shoe
    translate([-tongue_t, 0, -(counter_t + tongue_t)]) cube([tongue_t + 0.5, outer_w, counter_t + tongue_t + outer_h * 0.5]);
    translate([-tongue_t, 0, -(counter_t + tongue_t)]) cube([tongue_l, outer_w, tongue_t]);
}

module body() {
    union() {
        shell();
        if (clip == "lace") lace_loops();
        if (clip == "heel") heel_hook();
    }
}

module lid() {
    union() {
        rounded_block(outer_l, outer_w, lid_t, corner_r);
        translate([wall + gap, wall + gap, lid_t - 0.01])
            difference() {
                cube([inner_l - 2 * gap, inner_w - 2 * gap, lip_h]);
                translate([1.2, 1.2, -1]) cube([inner_l - 2 * gap - 2.4, inner_w - 2 * gap - 2.4, lip_h + 2]);
            }
    }
}

if (part == "lid") lid(); else body();
