#!/usr/bin/env python3
"""Makes a small COCO-like sample: PNG images plus a COCO annotation JSON (stdlib only).

Usage: make_coco_sample.py OUT_DIR [IMAGES] [ANNOTATIONS_PER_IMAGE]
Writes OUT_DIR/images/000000000001.png ... and OUT_DIR/annotations.json with "images",
"annotations" (bbox, area, category_id, iscrowd, polygon segmentation) and "categories",
the layout of COCO's instances_*.json. Deterministic.
"""
import json, os, random, struct, sys, zlib

def png(width, height, seed):
    rnd = random.Random(seed)
    rows = b"".join(b"\x00" + bytes(rnd.randrange(256) for _ in range(width * 3)) for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))

def main():
    out = sys.argv[1]
    n_images = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    per_image = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    rnd = random.Random(7)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    images, annotations = [], []
    for i in range(1, n_images + 1):
        w, h = rnd.randrange(32, 96), rnd.randrange(32, 96)
        name = "%012d.png" % i
        with open(os.path.join(out, "images", name), "wb") as f:
            f.write(png(w, h, i))
        images.append({"id": i, "file_name": name, "width": w, "height": h, "license": 1})
        for _ in range(per_image):
            x, y = round(rnd.uniform(0, w / 2), 2), round(rnd.uniform(0, h / 2), 2)
            bw, bh = round(rnd.uniform(4, w / 2), 2), round(rnd.uniform(4, h / 2), 2)
            annotations.append({
                "id": len(annotations) + 1, "image_id": i, "category_id": rnd.randrange(1, 4),
                "bbox": [x, y, bw, bh], "area": round(bw * bh + 0.5, 2), "iscrowd": 0,
                "segmentation": [[x, y, x + bw, y, x + bw, y + bh, x, y + bh]],
            })
    categories = [{"id": 1, "name": "cat", "supercategory": "animal"},
                  {"id": 2, "name": "dog", "supercategory": "animal"},
                  {"id": 3, "name": "car", "supercategory": "vehicle"}]
    with open(os.path.join(out, "annotations.json"), "w") as f:
        json.dump({"info": {"description": "swift-tfrecord sample"}, "images": images,
                   "annotations": annotations, "categories": categories}, f)
    print("%d images, %d annotations in %s" % (len(images), len(annotations), out))

if __name__ == "__main__":
    main()
