/** The thumbnails: only the rows on screen are in the page (grid-window.ts); nearing the end loads the next page. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { cellPosition, gridWindow } from './grid-window';
import { type FileRecord, thumbnailOf } from './types';

const CELL = 168;

export interface GridProps {
  files: FileRecord[];
  done: boolean;
  selected: ReadonlySet<string>;
  onToggle: (file: FileRecord, index: number, range: boolean) => void;
  onOpen: (file: FileRecord) => void;
  onNearEnd: () => void;
}

export function Grid({ files, done, selected, onToggle, onOpen, onNearEnd }: GridProps) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ scrollTop: 0, width: 800, height: 600 });

  useLayoutEffect(() => {
    const element = box.current!;
    const measure = () => setView({ scrollTop: element.scrollTop, width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const window = gridWindow({ ...view, viewportHeight: view.height, cell: CELL, total: files.length });
  useEffect(() => {
    if (!done && window.end >= files.length - window.columns * 3) onNearEnd();
  }, [done, window.end, files.length, window.columns, onNearEnd]);

  const cells = [];
  for (let i = window.start; i < window.end; i++) {
    const file = files[i]!;
    const { top, left } = cellPosition(i, window.columns, CELL);
    const isSelected = selected.has(file.fileId);
    cells.push(
      <div key={file.fileId} class={`cell${isSelected ? ' selected' : ''}`} style={{ top: `${top}px`, left: `${left}px` }} data-file-id={file.fileId} data-name={file.name}>
        <input type="checkbox" aria-label={`Select ${file.name}`} checked={isSelected} onClick={(e) => onToggle(file, i, e.shiftKey)} />
        <button class="thumb" onClick={() => onOpen(file)} title={file.filePath}>
          {file.fileType === 'image' ? <img src={thumbnailOf(file)} alt="" loading="lazy" decoding="async" width={140} height={120} /> : <span class="kind">{file.mime ?? file.fileType}</span>}
          <span class="name">{file.name}</span>
        </button>
      </div>,
    );
  }
  return (
    <div class="grid" ref={box} onScroll={(e) => setView((v) => ({ ...v, scrollTop: (e.currentTarget as HTMLDivElement).scrollTop }))} data-count={files.length} data-rendered={window.end - window.start}>
      <div class="grid-space" style={{ height: `${window.height}px` }}>
        {cells}
      </div>
    </div>
  );
}
